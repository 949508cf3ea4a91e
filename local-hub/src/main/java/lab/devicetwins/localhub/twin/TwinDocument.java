package lab.devicetwins.localhub.twin;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * One device twin: tags, desired and reported properties with their {@code $metadata} and {@code $version}s, the
 * twin's version and etag. Immutable; every write returns a {@link TwinChange} holding the new document, so a write
 * that breaks a rule leaves nothing half applied.
 *
 * <p>The rules are IoT Hub's:
 * <ul>
 *   <li>A patch merges deeply: a member set to {@code null} is removed, an object onto an object merges, anything
 *       else overwrites. A replace makes tags and desired properties exactly what was sent (nulls dropped).</li>
 *   <li>Service writes never touch reported properties; device writes never touch tags or desired properties.</li>
 *   <li>Desired {@code $version} grows by one with every desired change, reported {@code $version} with every
 *       reported patch, the twin version with every change of any section. The etag follows the twin version.</li>
 *   <li>{@code $version} and {@code $metadata} at a section root of an incoming body are read-only and ignored; any
 *       other key containing {@code $}, {@code .}, a space or a control character is refused.</li>
 *   <li>Limits ({@link TwinLimits}) are checked on the incoming values and on the sections as the write would
 *       leave them, before anything is applied.</li>
 * </ul>
 *
 * <p>Size rule: a property counts its key plus its value; text counts its UTF-8 bytes without control characters,
 * a number 8, a boolean 4, an object or array the sum of its contents.
 */
public final class TwinDocument {
    /** Writes JSON as {@link JsonElement#toString()} does: compact, nulls kept, no HTML escaping of the text. */
    private static final Gson COMPACT = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final TwinLimits limits;
    private final long version;
    private final JsonObject tags;
    private final PropertySection desired;
    private final PropertySection reported;

    private TwinDocument(TwinLimits limits, long version, JsonObject tags, PropertySection desired, PropertySection reported) {
        this.limits = limits;
        this.version = version;
        this.tags = tags;
        this.desired = desired;
        this.reported = reported;
    }

    /** A new device's twin: version 1, empty sections with {@code $version} 1, root {@code $metadata} stamped {@code now}. */
    public static TwinDocument createNew(Instant now, TwinLimits limits) {
        String lastUpdated = HubTimestamp.format(now);
        return new TwinDocument(Objects.requireNonNull(limits, "limits"), 1, new JsonObject(),
                PropertySection.fresh(lastUpdated), PropertySection.fresh(lastUpdated));
    }

    /**
     * Reads what {@link #toStoredJson()} wrote (the form the SQLite store keeps), checked against IoT Hub's limits
     * until {@link #withLimits} says otherwise. The stored etag is not trusted: it is derived from the version again.
     * The document keeps copies, so {@code json} stays the caller's.
     *
     * @throws IllegalArgumentException when the JSON lacks the version or a properties section
     */
    public static TwinDocument fromStoredJson(JsonObject json) {
        return fromStoredJson(json, TwinLimits.defaults());
    }

    public static TwinDocument fromStoredJson(JsonObject json, TwinLimits limits) {
        return read(json.deepCopy(), limits);
    }

    /**
     * {@link #fromStoredJson(JsonObject)} for a tree parsed for this document alone, which it takes over without a
     * copy: a hub reads a million of these at start. Nothing may change {@code parsed} afterwards.
     */
    public static TwinDocument fromParsedStoredJson(JsonObject parsed) {
        return read(parsed, TwinLimits.defaults());
    }

    private static TwinDocument read(JsonObject json, TwinLimits limits) {
        JsonElement version = json.get("version");
        if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("stored twin has no numeric version");
        }
        JsonElement tags = json.get("tags");
        JsonElement properties = json.get("properties");
        if (properties == null || !properties.isJsonObject()) {
            throw new IllegalArgumentException("stored twin has no properties object");
        }
        JsonObject propertiesObject = properties.getAsJsonObject();
        return new TwinDocument(Objects.requireNonNull(limits, "limits"), version.getAsLong(),
                tags != null && tags.isJsonObject() ? tags.getAsJsonObject() : new JsonObject(),
                PropertySection.fromStored(propertiesObject.get("desired"), TwinSection.DESIRED.path()),
                PropertySection.fromStored(propertiesObject.get("reported"), TwinSection.REPORTED.path()));
    }

    /** The same twin, checked against other limits from now on. */
    public TwinDocument withLimits(TwinLimits newLimits) {
        return new TwinDocument(Objects.requireNonNull(newLimits, "limits"), version, tags, desired, reported);
    }

    public TwinLimits limits() {
        return limits;
    }

    /** {@code {"version":n,"etag":"…","tags":{…},"properties":{"desired":{…},"reported":{…}}}}, with metadata. */
    public JsonObject toStoredJson() {
        return storedView().deepCopy();
    }

    /**
     * {@link #toStoredJson()} as text, written straight from the twin's own trees: no copy of any section is made,
     * which matters because the store writes this for every twin change.
     */
    public String toStoredJsonText() {
        return COMPACT.toJson(storedView());
    }

    /** The stored form over the twin's own trees (see {@link #tagsView()}): only written out or copied. */
    private JsonObject storedView() {
        JsonObject stored = new JsonObject();
        stored.addProperty("version", version);
        stored.addProperty("etag", etag());
        stored.add("tags", tags);
        stored.add("properties", servicePropertiesView());
        return stored;
    }

    /** Grows by one with every change of any section. */
    public long version() {
        return version;
    }

    /** Base64 of the version as 8 big-endian bytes, the form IoT Hub's etags have: version 1 is {@code AAAAAAAAAAE=}. */
    public String etag() {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(Long.BYTES).putLong(version).array());
    }

    public long desiredVersion() {
        return desired.version();
    }

    public long reportedVersion() {
        return reported.version();
    }

    /** The tags (they carry no metadata). */
    public JsonObject tags() {
        return tags.deepCopy();
    }

    /** Desired properties with {@code "$version"}, and {@code "$metadata"} when asked. */
    public JsonObject desired(boolean withMetadata) {
        return desired.render(withMetadata);
    }

    /** Reported properties with {@code "$version"}, and {@code "$metadata"} when asked. */
    public JsonObject reported(boolean withMetadata) {
        return reported.render(withMetadata);
    }

    /**
     * The value at a path of the twin's {@code tags} or {@code properties}, as {@code GET /twins/{id}} shows them:
     * {@code [tags, location, region]}, {@code [properties, reported, temp]}, {@code [properties, desired, $version]},
     * {@code [properties, reported, $metadata, temp, $lastUpdated]}. Null when the path leads nowhere.
     *
     * <p>Below a section the value is the twin's own, not a copy, so that a query reading one path of many twins
     * copies nothing: callers must not modify it. Whole sections come back as copies.
     */
    public JsonElement lookup(List<String> path) {
        if (path.isEmpty()) {
            return null;
        }
        switch (path.get(0)) {
            case "tags":
                return walk(tags, path, 1);
            case "properties":
                if (path.size() == 1) {
                    return servicePropertiesJson();
                }
                PropertySection section = path.get(1).equals("desired") ? desired
                        : path.get(1).equals("reported") ? reported : null;
                if (section == null) {
                    return null;
                }
                if (path.size() == 2) {
                    return section.render(true);
                }
                String member = path.get(2);
                if (member.equals(PropertySection.VERSION)) {
                    return path.size() == 3 ? new JsonPrimitive(section.version()) : null;
                }
                return member.equals(PropertySection.METADATA)
                        ? walk(section.metadata(), path, 3) : walk(section.data(), path, 2);
            default:
                return null;
        }
    }

    private static JsonElement walk(JsonObject from, List<String> path, int start) {
        JsonElement current = from;
        for (int i = start; i < path.size(); i++) {
            if (!(current instanceof JsonObject object)) {
                return null;
            }
            current = object.get(path.get(i));
        }
        return current;
    }

    /**
     * The tags and {@link #servicePropertiesJson()} built over the twin's own trees, for a document that is written
     * out and never changed (a GET answer, a query page): only the section roots are new objects, so rendering a
     * page of twins copies next to nothing. Nothing below the returned objects may be changed.
     */
    public JsonObject tagsView() {
        return tags;
    }

    /** See {@link #tagsView()}. */
    public JsonObject servicePropertiesView() {
        JsonObject properties = new JsonObject();
        properties.add("desired", desired.view());
        properties.add("reported", reported.view());
        return properties;
    }

    /** {@code {"desired":{…,"$metadata":{…},"$version":n},"reported":{…}}}: the {@code properties} of a service twin. */
    public JsonObject servicePropertiesJson() {
        return servicePropertiesView().deepCopy();
    }

    /** {@code {"desired":{…,"$version":n},"reported":{…,"$version":m}}}: what a device gets, no tags, no metadata. */
    public JsonObject devicePropertiesJson() {
        JsonObject properties = new JsonObject();
        properties.add("desired", desired(false));
        properties.add("reported", reported(false));
        return properties;
    }

    /**
     * The back end's PATCH: merges tags and desired properties. Absent or empty sections are left alone; when both
     * are, nothing changes. Only a desired change yields a notification.
     *
     * @throws TwinRuleViolation when the write breaks a twin rule; nothing is applied
     */
    public TwinChange patchFromService(JsonObject tagsPatch, JsonObject desiredPatch, Instant now) {
        JsonObject tagsWrite = writable(tagsPatch);
        JsonObject desiredWrite = writable(desiredPatch);
        if (tagsWrite.size() == 0 && desiredWrite.size() == 0) {
            return TwinChange.unchanged(this);
        }
        TwinRules rules = new TwinRules(limits);
        rules.check(TwinSection.TAGS, tagsWrite);
        rules.check(TwinSection.DESIRED, desiredWrite);

        JsonObject newTags = tags;
        if (tagsWrite.size() > 0) {
            newTags = TwinMerge.merged(tags, null, tagsWrite, null).data();
        }
        PropertySection newDesired = desired;
        if (desiredWrite.size() > 0) {
            newDesired = desired.patched(desiredWrite, MetadataStamp.desired(now, desired.version() + 1));
        }
        SectionSizeCheck sizes = new SectionSizeCheck(limits);
        sizes.check(TwinSection.TAGS, tags, newTags);
        sizes.check(TwinSection.DESIRED, desired.data(), newDesired.data());

        Optional<JsonObject> notification = desiredWrite.size() == 0
                ? Optional.empty() : Optional.of(withVersion(desiredWrite, newDesired.version()));
        return new TwinChange(new TwinDocument(limits, version + 1, newTags, newDesired, reported), true, notification);
    }

    /**
     * The back end's PUT: tags and desired properties become exactly what was sent ({@code null} means empty). Always
     * a change of both, so desired {@code $version} grows and the device is sent the full new desired properties.
     *
     * @throws TwinRuleViolation when the write breaks a twin rule; nothing is applied
     */
    public TwinChange replaceFromService(JsonObject newTagsBody, JsonObject newDesiredBody, Instant now) {
        JsonObject tagsWrite = writable(newTagsBody);
        JsonObject desiredWrite = writable(newDesiredBody);
        TwinRules rules = new TwinRules(limits);
        rules.check(TwinSection.TAGS, tagsWrite);
        rules.check(TwinSection.DESIRED, desiredWrite);

        JsonObject newTags = TwinMerge.withoutNulls(tagsWrite).getAsJsonObject();
        PropertySection newDesired = desired.replaced(desiredWrite, MetadataStamp.desired(now, desired.version() + 1));
        SectionSizeCheck sizes = new SectionSizeCheck(limits);
        sizes.check(TwinSection.TAGS, tags, newTags);
        sizes.check(TwinSection.DESIRED, desired.data(), newDesired.data());

        return new TwinChange(new TwinDocument(limits, version + 1, newTags, newDesired, reported), true,
                Optional.of(withVersion(newDesired.data(), newDesired.version())));
    }

    /**
     * The device's reported-properties PATCH. An empty patch changes nothing.
     *
     * @param expectedReportedVersion the reported {@code $version} the device based its patch on, or {@code null}
     *        to skip the check
     * @throws HubException {@link HubErrorCode#PRECONDITION_FAILED} when the expected version is not the current one
     * @throws TwinRuleViolation when the write breaks a twin rule; nothing is applied
     */
    public TwinChange patchReported(JsonObject reportedPatch, Long expectedReportedVersion, Instant now) {
        if (expectedReportedVersion != null && expectedReportedVersion != reported.version()) {
            throw new HubException(HubErrorCode.PRECONDITION_FAILED, "properties.reported: the update expected $version "
                    + expectedReportedVersion + ", but the reported properties are at $version " + reported.version()
                    + "; read the twin again and retry");
        }
        JsonObject write = writable(reportedPatch);
        if (write.size() == 0) {
            return TwinChange.unchanged(this);
        }
        new TwinRules(limits).check(TwinSection.REPORTED, write);
        PropertySection newReported = reported.patched(write, MetadataStamp.reported(now));
        new SectionSizeCheck(limits).check(TwinSection.REPORTED, reported.data(), newReported.data());
        return new TwinChange(new TwinDocument(limits, version + 1, tags, desired, newReported), true, Optional.empty());
    }

    /**
     * An incoming section body without the read-only root keys; {@code null} becomes empty. Its values are the
     * caller's, only read: what lands in the twin is copied by the merge.
     */
    private static JsonObject writable(JsonObject body) {
        JsonObject write = new JsonObject();
        if (body != null) {
            for (Map.Entry<String, JsonElement> member : body.entrySet()) {
                if (!member.getKey().equals(PropertySection.VERSION) && !member.getKey().equals(PropertySection.METADATA)) {
                    write.add(member.getKey(), member.getValue());
                }
            }
        }
        return write;
    }

    private static JsonObject withVersion(JsonObject properties, long desiredVersion) {
        JsonObject notification = properties.deepCopy();
        notification.addProperty(PropertySection.VERSION, desiredVersion);
        return notification;
    }

    /** Equal when every section, metadata and version are equal; the limits are not part of the twin. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TwinDocument that && version == that.version && tags.equals(that.tags)
                && desired.equals(that.desired) && reported.equals(that.reported);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, tags, desired, reported);
    }

    @Override
    public String toString() {
        return toStoredJsonText();
    }
}
