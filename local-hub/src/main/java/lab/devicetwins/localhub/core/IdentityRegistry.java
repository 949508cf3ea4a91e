package lab.devicetwins.localhub.core;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import lab.devicetwins.localhub.auth.CredentialSource;
import lab.devicetwins.localhub.auth.DeviceCredentials;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.Authentication;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceIds;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.DeviceStatus;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.registry.ModuleRequest;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;
import lab.devicetwins.localhub.twin.TwinChange;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * The identity registry: create, read, update and delete devices and their modules (each with its twin), connection
 * state, and the credentials the authenticator checks tokens against. Identities are named by {@link IdentityKey}:
 * the methods that take a key serve devices and modules alike.
 */
public final class IdentityRegistry implements CredentialSource {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Modules one device may have. IoT Hub's documentation names no figure the local hub could confirm; IoT Edge
     * deployments stay well below it. Over it: 413 TooManyModulesOnDevice.
     */
    public static final int MAX_MODULES_PER_DEVICE = 50;

    private final DeviceDirectory directory;
    private final List<SharedAccessPolicy> policies;
    private final AtomicLong etagCounter;
    private final EdgeScopes scopes;
    private volatile DeviceEvents events = DeviceEvents.NONE;

    public IdentityRegistry(DeviceDirectory directory, List<SharedAccessPolicy> policies) {
        this.directory = directory;
        this.policies = List.copyOf(policies);
        this.etagCounter = new AtomicLong(firstEtagCounter(directory));
        this.scopes = new EdgeScopes(this::get);
    }

    /**
     * Device etags must never repeat, or a stale If-Match could match again after a restart: continue above every
     * stored etag (and above the clock, which keeps etags unique across data directories being reset).
     */
    private static long firstEtagCounter(DeviceDirectory directory) {
        long highest = directory.clock().millis();
        for (DeviceEntry entry : directory.everyIdentity()) {
            String etag = entry.identity().etag();
            if (etag == null) {
                continue;
            }
            try {
                String decoded = new String(Base64.getDecoder().decode(etag), StandardCharsets.US_ASCII);
                highest = Math.max(highest, Long.parseLong(decoded));
            } catch (IllegalArgumentException notOurs) {
                // an etag this hub did not make cannot collide with the ones it makes
            }
        }
        return highest;
    }

    public void setEvents(DeviceEvents events) {
        this.events = events;
    }

    @Override
    public Optional<SharedAccessPolicy> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The credentials of a device or (by module key) a module; a module is enabled while its device is. */
    @Override
    public Optional<DeviceCredentials> device(String key) {
        return directory.find(key).map(DeviceEntry::identity).map(d -> new DeviceCredentials(d.key(), d.authentication(),
                d.isModule() ? get(d.deviceId()).map(DeviceIdentity::enabled).orElse(false) : d.enabled()));
    }

    /** The device or module with this {@link IdentityKey key}. */
    public Optional<DeviceIdentity> get(String key) {
        return directory.find(key).map(DeviceEntry::identity);
    }

    /** The device or module with this key; 404 DeviceNotFound, or ModuleNotFound when only the module is missing. */
    public DeviceIdentity require(String key) {
        return directory.require(key).identity();
    }

    /** The modules of an existing device, in module id order; 404 when the device is not registered. */
    public List<DeviceIdentity> modules(String deviceId) {
        directory.require(deviceId);
        return directory.modulesOf(deviceId).stream().map(DeviceEntry::identity).toList();
    }

    /**
     * The devices whose id sorts after {@code lastDeviceId} (all when null), in ascending id order, read lazily from
     * the live directory: a page of a long list costs only that page.
     */
    public Iterable<DeviceIdentity> devicesAfter(String lastDeviceId) {
        Iterable<DeviceEntry> entries = directory.after(lastDeviceId, false);
        return () -> new Iterator<>() {
            private final Iterator<DeviceEntry> next = entries.iterator();

            @Override
            public boolean hasNext() {
                return next.hasNext();
            }

            @Override
            public DeviceIdentity next() {
                return next.next().identity();
            }
        };
    }

    public List<DeviceIdentity> list() {
        return directory.all().stream().map(DeviceEntry::identity)
                .sorted(Comparator.comparing(DeviceIdentity::deviceId)).toList();
    }

    /** Creates a device and its twin; 409 when the id is taken. */
    public CompletableFuture<DeviceIdentity> create(DeviceRequest request) {
        return create(request, null);
    }

    /**
     * Creates a device whose twin starts with the tags and desired properties of {@code initialTwin} (null: an empty
     * twin), device and twin in one commit; 409 when the id is taken.
     *
     * @throws lab.devicetwins.localhub.twin.TwinRuleViolation when the initial twin breaks a twin rule; nothing is created
     */
    public CompletableFuture<DeviceIdentity> create(DeviceRequest request, ServiceTwinWrite initialTwin) {
        DeviceIds.requireValid(request.deviceId());
        Instant now = directory.clock().instant();
        String generationId = newGenerationId();
        EdgeScopes.Scopes scopes = this.scopes.resolve(request, generationId, null);
        DeviceIdentity identity = new DeviceIdentity(request.deviceId(), generationId, newEtag(),
                request.status(), request.statusReason(), now, Credentials.resolve(request.authentication(), null),
                ConnectionState.DISCONNECTED, DeviceIdentity.NEVER, DeviceIdentity.NEVER, request.iotEdge(),
                scopes.deviceScope(), scopes.parentScopes(), null, null, null);
        TwinDocument twin = TwinDocument.createNew(now, directory.limits());
        if (initialTwin != null) {
            twin = twin.replaceFromService(initialTwin.tags(), initialTwin.desired(), now).after();
        }
        DeviceEntry entry = new DeviceEntry(identity, twin);
        synchronized (entry) {
            if (!directory.addIfAbsent(request.deviceId(), entry)) {
                throw new HubException(HubErrorCode.DEVICE_ALREADY_EXISTS,
                        "a device with id '" + request.deviceId() + "' already exists");
            }
            TwinDocument created = twin;
            return directory.save(entry).thenApply(x -> published(TwinChangeFeed.Kind.CREATED, identity, null, created));
        }
    }

    /** Updates status, keys and capabilities of an existing device, honouring If-Match. */
    public CompletableFuture<DeviceIdentity> update(DeviceRequest request, String ifMatch) {
        return update(request, ifMatch, null);
    }

    /**
     * Updates an existing device, honouring If-Match, and when {@code newTwin} is not null replaces its tags and
     * desired properties too, in the same commit (a connected device hears of the desired change after it).
     *
     * @throws lab.devicetwins.localhub.twin.TwinRuleViolation when the twin breaks a twin rule; nothing is changed
     */
    public CompletableFuture<DeviceIdentity> update(DeviceRequest request, String ifMatch, ServiceTwinWrite newTwin) {
        DeviceEntry entry = directory.require(request.deviceId());
        synchronized (entry) {
            requireLive(entry, request.deviceId());
            DeviceIdentity current = entry.identity();
            requireEtag(ifMatch, current.etag());
            TwinChange twinChange = newTwin == null ? null : entry.twin().replaceFromService(newTwin.tags(),
                    newTwin.desired(), directory.clock().instant());
            Instant now = directory.clock().instant();
            boolean statusChanged = current.status() != request.status();
            Authentication authentication = Credentials.resolve(request.authentication(), current.authentication());
            EdgeScopes.Scopes scopes = this.scopes.resolve(request, current.generationId(), current);
            DeviceIdentity updated = new DeviceIdentity(current.deviceId(), current.generationId(), newEtag(),
                    request.status(), request.statusReason(), statusChanged ? now : current.statusUpdatedTime(),
                    authentication, current.connectionState(), current.connectionStateUpdatedTime(),
                    current.lastActivityTime(), request.iotEdge(), scopes.deviceScope(), scopes.parentScopes(),
                    current.modelId(), null, null);
            TwinDocument before = entry.twin();
            if (twinChange == null) {
                entry.setIdentity(updated);
            } else {
                directory.update(entry, updated, twinChange.after());
            }
            // a connected device keeps its connection only while what it authenticated with still holds
            boolean revoke = request.status() == DeviceStatus.DISABLED
                    || !authentication.equals(current.authentication());
            TwinDocument after = entry.twin();
            return directory.save(entry).thenApply(x -> {
                published(twinChange == null ? TwinChangeFeed.Kind.UPDATED : TwinChangeFeed.Kind.TWIN, updated,
                        before, after);
                if (revoke) {
                    events.deviceAccessRevoked(current.deviceId());
                } else if (twinChange != null) {
                    twinChange.desiredNotification().ifPresent(
                            n -> events.desiredPropertiesChanged(current.deviceId(), n));
                }
                return updated;
            });
        }
    }

    /**
     * Creates a module on an existing device, with its twin (in one commit); 409 ModuleAlreadyExistsOnDevice when the
     * device has a module of that id, 413 over {@link #MAX_MODULES_PER_DEVICE}.
     */
    public CompletableFuture<DeviceIdentity> createModule(ModuleRequest request) {
        return createModule(request, null);
    }

    /**
     * Creates a module whose twin starts with the tags and desired properties of {@code initialTwin} (null: empty).
     *
     * @throws lab.devicetwins.localhub.twin.TwinRuleViolation when the initial twin breaks a twin rule; nothing is created
     */
    public CompletableFuture<DeviceIdentity> createModule(ModuleRequest request, ServiceTwinWrite initialTwin) {
        DeviceIds.requireValid(request.deviceId());
        DeviceIds.requireValidModule(request.moduleId());
        DeviceEntry device = directory.require(request.deviceId());
        Instant now = directory.clock().instant();
        DeviceIdentity identity = DeviceIdentity.module(request.deviceId(), request.moduleId(), request.managedBy(),
                newGenerationId(), newEtag(), Credentials.resolve(request.authentication(), null));
        TwinDocument twin = TwinDocument.createNew(now, directory.limits());
        if (initialTwin != null) {
            twin = twin.replaceFromService(initialTwin.tags(), initialTwin.desired(), now).after();
        }
        DeviceEntry entry = new DeviceEntry(identity, twin);
        // the device's lock first, as a device delete takes it: no module is added to a device being deleted
        synchronized (device) {
            requireLive(device, request.deviceId());
            if (directory.modulesOf(request.deviceId()).size() >= MAX_MODULES_PER_DEVICE) {
                throw new HubException(HubErrorCode.TOO_MANY_MODULES_ON_DEVICE, "device '" + request.deviceId()
                        + "' already has " + MAX_MODULES_PER_DEVICE + " modules, as many as the hub allows");
            }
            synchronized (entry) {
                if (!directory.addIfAbsent(request.key(), entry)) {
                    throw new HubException(HubErrorCode.MODULE_ALREADY_EXISTS_ON_DEVICE, "device '"
                            + request.deviceId() + "' already has a module with id '" + request.moduleId() + "'");
                }
                TwinDocument created = twin;
                return directory.save(entry).thenApply(
                        x -> published(TwinChangeFeed.Kind.CREATED, identity, null, created));
            }
        }
    }

    /** Updates a module's keys or thumbprints (and manager), honouring If-Match. */
    public CompletableFuture<DeviceIdentity> updateModule(ModuleRequest request, String ifMatch) {
        return updateModule(request, ifMatch, null);
    }

    /**
     * Updates an existing module, honouring If-Match, and when {@code newTwin} is not null replaces its tags and
     * desired properties too, in the same commit.
     */
    public CompletableFuture<DeviceIdentity> updateModule(ModuleRequest request, String ifMatch,
                                                          ServiceTwinWrite newTwin) {
        DeviceEntry entry = directory.require(request.key());
        synchronized (entry) {
            requireLive(entry, request.key());
            DeviceIdentity current = entry.identity();
            requireEtag(ifMatch, current.etag());
            TwinChange twinChange = newTwin == null ? null : entry.twin().replaceFromService(newTwin.tags(),
                    newTwin.desired(), directory.clock().instant());
            Authentication authentication = Credentials.resolve(request.authentication(), current.authentication());
            DeviceIdentity updated = new DeviceIdentity(current.deviceId(), current.generationId(), newEtag(),
                    current.status(), null, current.statusUpdatedTime(), authentication, current.connectionState(),
                    current.connectionStateUpdatedTime(), current.lastActivityTime(), false, null, List.of(),
                    current.modelId(), current.moduleId(),
                    request.managedBy() != null ? request.managedBy() : current.managedBy());
            TwinDocument before = entry.twin();
            if (twinChange == null) {
                entry.setIdentity(updated);
            } else {
                directory.update(entry, updated, twinChange.after());
            }
            boolean revoke = !authentication.equals(current.authentication());
            TwinDocument after = entry.twin();
            return directory.save(entry).thenApply(x -> {
                published(twinChange == null ? TwinChangeFeed.Kind.UPDATED : TwinChangeFeed.Kind.TWIN, updated,
                        before, after);
                if (revoke) {
                    events.deviceAccessRevoked(current.key());
                } else if (twinChange != null) {
                    twinChange.desiredNotification().ifPresent(n -> events.desiredPropertiesChanged(current.key(), n));
                }
                return updated;
            });
        }
    }

    /**
     * Deletes a device or (by module key) a module, with its twin, honouring If-Match; its connection is closed. A
     * device's modules are deleted with it, in the same commit, and their connections closed too.
     */
    public CompletableFuture<Void> delete(String key, String ifMatch) {
        DeviceEntry entry = directory.require(key);
        synchronized (entry) {
            requireLive(entry, key);
            requireEtag(ifMatch, entry.identity().etag());
            List<String> gone = new ArrayList<>();
            List<DeviceEntry> goneEntries = new ArrayList<>();
            if (!IdentityKey.isModule(key)) {
                for (DeviceEntry module : List.copyOf(directory.modulesOf(key))) {
                    synchronized (module) {
                        module.markRemoved();
                        directory.remove(module.identity().key(), module);
                        gone.add(module.identity().key());
                        goneEntries.add(module);
                    }
                }
            }
            entry.markRemoved();
            directory.remove(key, entry);
            gone.add(key);
            goneEntries.add(entry);
            return directory.delete(key).thenRun(() -> {
                gone.forEach(events::deviceAccessRevoked);
                if (directory.changes().listened()) {
                    goneEntries.forEach(e -> published(TwinChangeFeed.Kind.DELETED, e.identity(), e.twin(), e.twin()));
                }
            });
        }
    }

    public record Statistics(long total, long enabled, long disabled) {
    }

    public Statistics statistics() {
        long total = 0;
        long enabled = 0;
        for (DeviceEntry e : directory.all()) {
            total++;
            if (e.identity().enabled()) {
                enabled++;
            }
        }
        return new Statistics(total, enabled, total - enabled);
    }

    /**
     * Records a connect, with the IoT Plug and Play model id the device announced (null: none, and the one it
     * announced before stays); persisted so queries and GETs see it.
     */
    public CompletableFuture<Void> connected(String deviceId, String modelId) {
        return connectionChanged(deviceId, ConnectionState.CONNECTED, modelId);
    }

    /** Records a connect or disconnect of a device or module (by key); persisted so queries and GETs see it. */
    public CompletableFuture<Void> connectionChanged(String deviceId, ConnectionState state) {
        return connectionChanged(deviceId, state, null);
    }

    private CompletableFuture<Void> connectionChanged(String deviceId, ConnectionState state, String modelId) {
        Optional<DeviceEntry> found = directory.find(deviceId);
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        DeviceEntry entry = found.get();
        synchronized (entry) {
            if (entry.removed()) {
                return CompletableFuture.completedFuture(null);
            }
            Instant now = directory.clock().instant();
            DeviceIdentity changed = entry.identity().withConnection(state, now).withLastActivity(now);
            if (modelId != null) {
                changed = changed.withModelId(modelId);
            }
            entry.setIdentity(changed);
            DeviceIdentity recorded = changed;
            TwinDocument twin = entry.twin();
            return directory.save(entry).thenRun(() -> directory.changes().publish(recorded.key(),
                    TwinChangeFeed.Kind.CONNECTION, TwinChangeFeed.Writer.DEVICE, recorded, twin, twin));
        }
    }

    /**
     * Notes activity of a connected device. Kept in memory only: it reaches the database with the device's next saved
     * change or disconnect, so busy devices do not cost a write per message.
     */
    public void activity(String deviceId) {
        directory.find(deviceId).ifPresent(entry -> {
            synchronized (entry) {
                entry.setIdentity(entry.identity().withLastActivity(directory.clock().instant()));
            }
        });
    }

    /** Tells the change feed of a committed service-side change; returns the identity for chaining. */
    private DeviceIdentity published(TwinChangeFeed.Kind kind, DeviceIdentity identity, TwinDocument before,
                                     TwinDocument after) {
        directory.changes().publish(identity.key(), kind, TwinChangeFeed.Writer.SERVICE, identity, before, after);
        return identity;
    }

    private void requireLive(DeviceEntry entry, String key) {
        if (entry.removed()) {
            throw directory.notFound(key);
        }
    }

    static void requireEtag(String ifMatch, String currentEtag) {
        String wanted = IfMatch.normalize(ifMatch);
        if (wanted != null && !wanted.equals("*") && !wanted.equals(currentEtag)) {
            throw new HubException(HubErrorCode.PRECONDITION_FAILED, "If-Match '" + ifMatch
                    + "' does not match the current etag '" + currentEtag + "'; read the latest and try again");
        }
    }

    private String newEtag() {
        return Base64.getEncoder().encodeToString(Long.toString(etagCounter.incrementAndGet()).getBytes(
                StandardCharsets.US_ASCII));
    }

    private static String newGenerationId() {
        return Long.toString(600_000_000_000_000_000L + (RANDOM.nextLong() & Long.MAX_VALUE) % 100_000_000_000_000_000L);
    }
}
