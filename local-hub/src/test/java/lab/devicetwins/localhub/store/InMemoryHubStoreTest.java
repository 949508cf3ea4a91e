package lab.devicetwins.localhub.store;

class InMemoryHubStoreTest extends HubStoreContract {
    @Override
    HubStore open() {
        return new InMemoryHubStore();
    }
}
