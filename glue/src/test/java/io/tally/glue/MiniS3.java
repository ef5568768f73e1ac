package io.tally.glue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small server speaking the S3 REST calls the Glue job makes, path-style: GET (whole or ranged, with If-Match
 * answered 412 on a changed ETag), HEAD, PUT (plain or aws-chunked bodies), and multipart uploads (create, parts,
 * complete, abort), where the object appears only on completion. The Spark test class path holds
 * Spark's Jackson, which s3proxy cannot run with, so the Glue tests use this with the real SDK client.
 */
final class MiniS3 implements AutoCloseable {
    private record Blob(byte[] bytes, String etag) {}

    private final HttpServer server;
    private final Map<String, Blob> objects = new ConcurrentHashMap<>();
    /** Every write: "PutObject key" or "CompleteMultipartUpload key". */
    final List<String> writes = new CopyOnWriteArrayList<>();

    private final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
    private final AtomicInteger uploadIds = new AtomicInteger();
    /** Every GET: its key and Range header (empty when whole). */
    final List<String[]> gets = new CopyOnWriteArrayList<>();
    /** After this many ranged GETs of {@code replaceKey}, its content changes (a tracker replaced mid-job). */
    volatile String replaceKey;

    final AtomicInteger replaceAfter = new AtomicInteger(Integer.MAX_VALUE);

    MiniS3() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String put(String bucketKey, byte[] bytes) {
        String etag = "\"" + md5(bytes) + "\"";
        objects.put(bucketKey, new Blob(bytes, etag));
        return etag;
    }

    byte[] get(String bucketKey) {
        Blob b = objects.get(bucketKey);
        return b == null ? null : b.bytes();
    }

    /** How many objects have keys starting with {@code bucketPrefix}. */
    long count(String bucketPrefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(bucketPrefix)).count();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String key = URLDecoder.decode(x.getRequestURI().getRawPath().substring(1), StandardCharsets.UTF_8);
            Map<String, String> query = query(x.getRequestURI().getRawQuery());
            if (query.containsKey("uploads") || query.containsKey("uploadId")) {
                multipart(x, key, query);
                return;
            }
            switch (x.getRequestMethod()) {
                case "PUT" -> {
                    writes.add("PutObject " + key);
                    byte[] body = x.getRequestBody().readAllBytes();
                    String encoding = String.valueOf(x.getRequestHeaders().getFirst("Content-Encoding"))
                            + String.valueOf(x.getRequestHeaders().getFirst("x-amz-content-sha256"));
                    byte[] data =
                            encoding.contains("aws-chunked") || encoding.contains("STREAMING") ? dechunk(body) : body;
                    String etag = put(key, data);
                    x.getResponseHeaders().set("ETag", etag);
                    x.sendResponseHeaders(200, -1);
                }
                case "GET", "HEAD" -> {
                    Blob b = objects.get(key);
                    String range = x.getRequestHeaders().getFirst("Range");
                    if ("GET".equals(x.getRequestMethod())) {
                        gets.add(new String[] {key, range == null ? "" : range});
                        if (range != null
                                && key.equals(replaceKey)
                                && replaceAfter.decrementAndGet() < 0
                                && b != null) {
                            byte[] changed = b.bytes().clone();
                            changed[changed.length - 1] ^= 1;
                            put(key, changed);
                        }
                        b = objects.get(key);
                    }
                    if (b == null) {
                        error(x, 404, "NoSuchKey", "The specified key does not exist.");
                        return;
                    }
                    String ifMatch = x.getRequestHeaders().getFirst("If-Match");
                    if (ifMatch != null && !ifMatch.equals(b.etag())) {
                        error(
                                x,
                                412,
                                "PreconditionFailed",
                                "At least one of the pre-conditions you specified did not hold");
                        return;
                    }
                    byte[] out = b.bytes();
                    int status = 200;
                    if (range != null && range.startsWith("bytes=")) {
                        String[] ab = range.substring(6).split("-");
                        int from = Integer.parseInt(ab[0]);
                        int to = ab.length > 1 && !ab[1].isEmpty()
                                ? Math.min(out.length - 1, Integer.parseInt(ab[1]))
                                : out.length - 1;
                        x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + out.length);
                        out = Arrays.copyOfRange(out, from, to + 1);
                        status = 206;
                    }
                    x.getResponseHeaders().set("ETag", b.etag());
                    x.getResponseHeaders().set("Content-Type", "application/octet-stream");
                    if ("HEAD".equals(x.getRequestMethod())) {
                        x.getResponseHeaders().set("Content-Length", Integer.toString(out.length));
                        x.sendResponseHeaders(status, -1);
                    } else {
                        x.sendResponseHeaders(status, out.length);
                        x.getResponseBody().write(out);
                    }
                }
                default -> error(x, 405, "MethodNotAllowed", "not served");
            }
        }
    }

    private void multipart(HttpExchange x, String key, Map<String, String> query) throws IOException {
        String method = x.getRequestMethod();
        if (method.equals("POST") && query.containsKey("uploads")) {
            String id = "u" + uploadIds.incrementAndGet();
            uploads.put(id, new ConcurrentHashMap<>());
            String[] parts = key.split("/", 2);
            xml(
                    x,
                    "<InitiateMultipartUploadResult><Bucket>" + parts[0] + "</Bucket><Key>" + parts[1] + "</Key>"
                            + "<UploadId>" + id + "</UploadId></InitiateMultipartUploadResult>");
            return;
        }
        Map<Integer, byte[]> parts = uploads.get(query.get("uploadId"));
        if (parts == null) {
            error(x, 404, "NoSuchUpload", "The specified upload does not exist.");
            return;
        }
        switch (method) {
            case "PUT" -> {
                byte[] body = x.getRequestBody().readAllBytes();
                String encoding = String.valueOf(x.getRequestHeaders().getFirst("Content-Encoding"))
                        + String.valueOf(x.getRequestHeaders().getFirst("x-amz-content-sha256"));
                byte[] data = encoding.contains("aws-chunked") || encoding.contains("STREAMING") ? dechunk(body) : body;
                int n = Integer.parseInt(query.get("partNumber"));
                parts.put(n, data);
                x.getResponseHeaders().set("ETag", "\"" + md5(data) + "\"");
                x.sendResponseHeaders(200, -1);
            }
            case "POST" -> {
                x.getRequestBody().readAllBytes();
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                parts.keySet().stream().sorted().forEach(n -> whole.writeBytes(parts.get(n)));
                uploads.remove(query.get("uploadId"));
                String etag = put(key, whole.toByteArray());
                writes.add("CompleteMultipartUpload " + key);
                xml(
                        x,
                        "<CompleteMultipartUploadResult><Key>" + key + "</Key><ETag>" + etag
                                + "</ETag></CompleteMultipartUploadResult>");
            }
            case "DELETE" -> {
                uploads.remove(query.get("uploadId"));
                x.sendResponseHeaders(204, -1);
            }
            default -> error(x, 405, "MethodNotAllowed", "not served");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return q;
    }

    private static void xml(HttpExchange x, String body) throws IOException {
        byte[] out = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/xml");
        x.sendResponseHeaders(200, out.length);
        x.getResponseBody().write(out);
    }

    /** How many uploads were started and neither completed nor aborted. */
    int openUploads() {
        return uploads.size();
    }

    /** The data of an aws-chunked body: {@code hex-size[;ext]\r\n data \r\n}, up to a zero-size chunk. */
    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int eol = indexOf(body, at);
            String header = new String(body, at, eol - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";")[0].trim(), 16);
            at = eol + 2;
            if (size == 0) {
                break;
            }
            out.write(body, at, size);
            at += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return b.length;
    }

    private static void error(HttpExchange x, int status, String code, String message) throws IOException {
        byte[] out = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/xml");
        x.sendResponseHeaders(status, out.length);
        x.getResponseBody().write(out);
    }

    private static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    @SuppressWarnings("unused")
    private static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
