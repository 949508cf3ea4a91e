package lab.devicetwins.localhub.core;

import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.query.QueryPage;

/** Twin queries evaluated over the directory's live twins: a write acknowledged is in the next query. */
public final class DirectoryTwinQueries implements TwinQueries {
    private final DeviceDirectory directory;
    private final TwinRenderer renderer;

    public DirectoryTwinQueries(DeviceDirectory directory, TwinRenderer renderer) {
        this.directory = directory;
        this.renderer = renderer;
    }

    @Override
    public QueryPage page(String queryText, Integer maxItemCount, String continuationToken) {
        throw new HubException(HubErrorCode.NOT_IMPLEMENTED, "queries are being moved " + directory + renderer);
    }
}
