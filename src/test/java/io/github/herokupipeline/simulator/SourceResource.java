package io.github.herokupipeline.simulator;

import static io.github.herokupipeline.simulator.SimHttp.Reply;
import static io.github.herokupipeline.simulator.SimHttp.json;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Source uploads: {@code POST /sources} and the pre-signed blob URLs it hands out. */
final class SourceResource {

    private final SimWorld world;

    SourceResource(SimWorld world) {
        this.world = world;
    }

    Reply createSource() {
        String id = world.uuid();
        String putSignature = world.uuid().replace("-", "");
        String getSignature = world.uuid().replace("-", "");
        world.blobSignatures.put(id + "?put", putSignature);
        world.blobSignatures.put(id + "?get", getSignature);
        JsonObject blob = new JsonObject();
        blob.addProperty("get_url", world.apiUrl() + "/blobs/" + id + "?signature=get-" + getSignature);
        blob.addProperty("put_url", world.apiUrl() + "/blobs/" + id + "?signature=put-" + putSignature);
        JsonObject source = new JsonObject();
        source.add("source_blob", blob);
        return json(201, source);
    }

    Reply serveBlob(String method, String id, String query, byte[] body, boolean authorized) {
        String signature = query == null ? "" : query.replaceFirst("^signature=", "");
        if (authorized) {
            return xmlError(400, "InvalidArgument",
                    "Only one auth mechanism allowed; a pre-signed URL must not carry an Authorization header");
        }
        if (method.equals("PUT") && signature.equals("put-" + world.blobSignatures.get(id + "?put"))) {
            world.blobs.put(id, body);
            return new Reply(200, Map.of(), new byte[0]);
        }
        if (method.equals("GET") && signature.equals("get-" + world.blobSignatures.get(id + "?get"))) {
            byte[] blob = world.blobs.get(id);
            return blob == null ? xmlError(404, "NoSuchKey", "The specified key does not exist.")
                    : new Reply(200, Map.of("Content-Type", "application/octet-stream"), blob);
        }
        return xmlError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match.");
    }

    static Reply xmlError(int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>";
        return new Reply(status, Map.of("Content-Type", "application/xml"), xml.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes uploaded for a source whose get_url is {@code getUrl}, or null. */
    byte[] sourceBytes(String getUrl) {
        String id = blobIdOf(getUrl);
        return id == null ? null : world.blobs.get(id);
    }

    String blobIdOf(String url) {
        String prefix = world.apiUrl() + "/blobs/";
        if (url == null || !url.startsWith(prefix)) {
            return null;
        }
        String rest = url.substring(prefix.length());
        int query = rest.indexOf('?');
        String id = query < 0 ? rest : rest.substring(0, query);
        String signature = query < 0 ? "" : rest.substring(query + 1).replaceFirst("^signature=", "");
        return signature.equals("get-" + world.blobSignatures.get(id + "?get")) ? id : null;
    }
}
