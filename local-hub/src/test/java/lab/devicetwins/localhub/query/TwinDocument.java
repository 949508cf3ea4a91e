package lab.devicetwins.localhub.query;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Builds stored twin documents shaped like the hub's GET /twins/{id} answer, with tags and properties to taste. */
final class TwinDocument {

    private final JsonObject twin;

    private TwinDocument(String deviceId) {
        twin = JsonParser.parseString("""
                {"deviceId":"%s","etag":"AAAAAAAAAAI=","deviceEtag":"MTIzNA==","version":2,"status":"enabled",
                 "statusUpdateTime":"0001-01-01T00:00:00Z","connectionState":"Disconnected",
                 "lastActivityTime":"0001-01-01T00:00:00Z","cloudToDeviceMessageCount":0,"authenticationType":"sas",
                 "x509Thumbprint":{"primaryThumbprint":null,"secondaryThumbprint":null},"modelId":"",
                 "capabilities":{"iotEdge":false},"tags":{},
                 "properties":{
                   "desired":{"$metadata":{"$lastUpdated":"2026-11-27T14:05:01.1234567Z","$lastUpdatedVersion":1},"$version":1},
                   "reported":{"$metadata":{"$lastUpdated":"2026-11-27T14:05:01.1234567Z"},"$version":1}}}
                """.formatted(deviceId)).getAsJsonObject();
    }

    static TwinDocument twin(String deviceId) {
        return new TwinDocument(deviceId);
    }

    /** Sets a value at a dotted path from the twin's root, creating objects on the way: {@code tags.location.plant}. */
    TwinDocument with(String path, Object value) {
        String[] segments = path.split("\\.");
        JsonObject parent = twin;
        for (int i = 0; i < segments.length - 1; i++) {
            if (!parent.has(segments[i])) {
                parent.add(segments[i], new JsonObject());
            }
            parent = parent.getAsJsonObject(segments[i]);
        }
        parent.add(segments[segments.length - 1], value instanceof JsonElement json
                ? json : JsonParser.parseString(new Gson().toJson(value)));
        return this;
    }

    /** Sets a value given as JSON text, for objects, arrays and null. */
    TwinDocument withJson(String path, String json) {
        return with(path, JsonParser.parseString(json));
    }

    JsonObject json() {
        return twin.deepCopy();
    }
}
