package lab.devicetwins.localhub.http;

import com.google.gson.JsonElement;

/** A successful answer: status, optional JSON body, optional ETag, continuation and item-type headers. */
record Reply(int status, JsonElement body, String etag, String continuation, String itemType) {

    static Reply json(JsonElement body) {
        return new Reply(200, body, null, null, null);
    }

    static Reply json(JsonElement body, String etag) {
        return new Reply(200, body, etag, null, null);
    }

    static Reply noContent() {
        return new Reply(204, null, null, null, null);
    }
}
