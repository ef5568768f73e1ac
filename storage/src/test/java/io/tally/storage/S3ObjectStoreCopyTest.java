package io.tally.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.core.ReportWriter;
import io.tally.names.FunctionNeeds;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * The copy to {@code reports/latest/}: one CopyObject up to S3's 5 GiB limit, a multipart copy of ranged
 * UploadPartCopy parts above it, on a client that answers as S3 documents (the ranges are inclusive, a part's
 * source is pinned to the ETag, the object appears only on completion).
 */
class S3ObjectStoreCopyTest {
    private final FakeS3 s3 = new FakeS3();

    @Test
    void copy_upToTheLimit_isOneCopyObject_pinnedToTheSourcesEtag() {
        s3.objects.put("reports/r/summary.json", "0123456789".getBytes(StandardCharsets.UTF_8));
        new S3ObjectStore(s3, "b", 10, 4).copy("reports/r/summary.json", "reports/latest/summary.json");
        assertThat(s3.calls)
                .containsExactly(
                        "HeadObject reports/r/summary.json",
                        "CopyObject reports/r/summary.json -> reports/latest/summary.json if " + FakeS3.etag(10));
        assertThat(s3.objects.get("reports/latest/summary.json")).isEqualTo(s3.objects.get("reports/r/summary.json"));
    }

    @Test
    void copy_overTheLimit_isAMultipartCopyOfInclusiveRanges_thatKeepsTheContentType() {
        byte[] bytes = "abcdefghijk".getBytes(StandardCharsets.UTF_8);
        s3.objects.put("reports/r/rejected_rows.csv", bytes);
        new S3ObjectStore(s3, "b", 10, 4).copy("reports/r/rejected_rows.csv", "reports/latest/rejected_rows.csv");
        assertThat(s3.calls)
                .doesNotContain("CopyObject")
                .contains(
                        "CreateMultipartUpload reports/latest/rejected_rows.csv text/csv",
                        "UploadPartCopy 1 bytes=0-3",
                        "UploadPartCopy 2 bytes=4-7",
                        "UploadPartCopy 3 bytes=8-10",
                        "CompleteMultipartUpload [1, 2, 3]");
        assertThat(s3.objects.get("reports/latest/rejected_rows.csv")).isEqualTo(bytes);
    }

    @Test
    void aFailedPart_abortsTheCopy_andLeavesTheTargetAsItWas() {
        s3.objects.put("reports/r/discrepancies.csv", "abcdefghijk".getBytes(StandardCharsets.UTF_8));
        s3.failPart = 2;
        S3ObjectStore store = new S3ObjectStore(s3, "b", 10, 4);
        assertThatThrownBy(() -> store.copy("reports/r/discrepancies.csv", "reports/latest/discrepancies.csv"))
                .isInstanceOf(S3Exception.class);
        assertThat(s3.calls)
                .contains("AbortMultipartUpload reports/latest/discrepancies.csv")
                .doesNotContain("CompleteMultipartUpload [1, 2, 3]");
        assertThat(s3.objects).doesNotContainKey("reports/latest/discrepancies.csv");
    }

    @Test
    void theDefaults_areS3sLimits() {
        assertThat(MultipartCopy.MAX_SINGLE_COPY).isEqualTo(5L * 1024 * 1024 * 1024);
        assertThat(MultipartCopy.PART_BYTES).isBetween(5L << 20, 5L << 30);
        // S3's largest object, 5 TiB, still fits in 10,000 parts of at most 5 GiB.
        long largest = MultipartCopy.partBytes(5L << 40, MultipartCopy.PART_BYTES);
        assertThat(largest).isLessThanOrEqualTo(5L << 30);
        assertThat(largest * MultipartCopy.MAX_PARTS).isGreaterThanOrEqualTo(5L << 40);
        assertThat(MultipartCopy.partBytes(6L << 30, MultipartCopy.PART_BYTES)).isEqualTo(MultipartCopy.PART_BYTES);
    }

    /** Every ObjectStore method names the IAM actions it needs in FunctionNeeds.Store, which the grant check uses. */
    @Test
    void everyObjectStoreMethod_namesItsIamActions() {
        List<String> missing = new ArrayList<>();
        for (Method m : ObjectStore.class.getDeclaredMethods()) {
            if (m.getName().equals("bucket")) {
                continue;
            }
            List<String> ops = m.getName().equals("copy")
                    ? List.of("COPY_FROM", "COPY_TO")
                    : List.of(m.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
            for (String op : ops) {
                if (Arrays.stream(FunctionNeeds.Store.values())
                        .noneMatch(s -> s.name().equals(op))) {
                    missing.add(op);
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(FunctionNeeds.Store.COPY_TO.actions()).contains("s3:AbortMultipartUpload");
    }

    @Test
    void theReportFilesTheGrantsName_areTheOnesCoreWrites() {
        assertThat(FunctionNeeds.REPORT_FILES).isEqualTo(ReportWriter.FILES);
    }

    /** Answers the copy's calls as S3 does, in memory, and records them. */
    static final class FakeS3 implements S3Client {
        final Map<String, byte[]> objects = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Map<Integer, byte[]> parts = new ConcurrentHashMap<>();
        volatile int failPart = -1;

        static String etag(int size) {
            return "\"etag-" + size + "\"";
        }

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest r) {
            calls.add("HeadObject " + r.key());
            byte[] b = objects.get(r.key());
            return HeadObjectResponse.builder()
                    .contentLength((long) b.length)
                    .eTag(etag(b.length))
                    .contentType("text/csv")
                    .build();
        }

        @Override
        public CopyObjectResponse copyObject(CopyObjectRequest r) {
            calls.add("CopyObject " + r.sourceKey() + " -> " + r.destinationKey() + " if " + r.copySourceIfMatch());
            objects.put(r.destinationKey(), objects.get(r.sourceKey()).clone());
            return CopyObjectResponse.builder().build();
        }

        @Override
        public CreateMultipartUploadResponse createMultipartUpload(CreateMultipartUploadRequest r) {
            calls.add("CreateMultipartUpload " + r.key() + " " + r.contentType());
            return CreateMultipartUploadResponse.builder().uploadId("u1").build();
        }

        @Override
        public UploadPartCopyResponse uploadPartCopy(UploadPartCopyRequest r) {
            calls.add("UploadPartCopy " + r.partNumber() + " " + r.copySourceRange());
            if (r.partNumber() == failPart) {
                throw (S3Exception) S3Exception.builder()
                        .statusCode(500)
                        .message("InternalError")
                        .build();
            }
            byte[] source = objects.get(r.sourceKey());
            if (!etag(source.length).equals(r.copySourceIfMatch())) {
                throw (S3Exception) S3Exception.builder()
                        .statusCode(412)
                        .message("PreconditionFailed")
                        .build();
            }
            String[] range = r.copySourceRange().substring("bytes=".length()).split("-");
            // S3's ranges are inclusive at both ends.
            parts.put(
                    r.partNumber(),
                    Arrays.copyOfRange(source, Integer.parseInt(range[0]), Integer.parseInt(range[1]) + 1));
            return UploadPartCopyResponse.builder()
                    .copyPartResult(CopyPartResult.builder()
                            .eTag("\"part-" + r.partNumber() + "\"")
                            .build())
                    .build();
        }

        @Override
        public CompleteMultipartUploadResponse completeMultipartUpload(CompleteMultipartUploadRequest r) {
            List<Integer> numbers = r.multipartUpload().parts().stream()
                    .map(CompletedPart::partNumber)
                    .toList();
            calls.add("CompleteMultipartUpload " + numbers);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int n : numbers) {
                whole.writeBytes(parts.get(n));
            }
            objects.put(r.key(), whole.toByteArray());
            return CompleteMultipartUploadResponse.builder().build();
        }

        @Override
        public AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest r) {
            calls.add("AbortMultipartUpload " + r.key());
            parts.clear();
            return AbortMultipartUploadResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }
}
