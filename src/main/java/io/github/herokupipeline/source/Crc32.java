package io.github.herokupipeline.source;

/**
 * Joins the CRC-32s of two byte sequences into the CRC-32 of both in a row, knowing only the second one's length
 * (zlib's {@code crc32_combine}, which {@link java.util.zip.CRC32} does not offer): the parts of an archive are
 * checksummed in different passes, and gzip wants one CRC-32 for all.
 */
final class Crc32 {

    private static final long POLYNOMIAL = 0xEDB88320L;

    private Crc32() {}

    /** The CRC-32 of A followed by B, from A's CRC-32, B's CRC-32 and B's length. */
    static long combine(long crcA, long crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        // Appending one zero bit to the message is a linear map on the CRC; squaring its matrix appends twice as
        // many zeros. Appending lengthB zero bytes to A, then XOR-ing B's CRC, gives the CRC of A then B.
        long[] even = new long[32];
        long[] odd = new long[32];
        odd[0] = POLYNOMIAL;
        long row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crcA;
        long length = lengthB;
        do {
            square(even, odd);
            if ((length & 1) != 0) {
                crc = times(even, crc);
            }
            length >>>= 1;
            if (length == 0) {
                break;
            }
            square(odd, even);
            if ((length & 1) != 0) {
                crc = times(odd, crc);
            }
            length >>>= 1;
        } while (length != 0);
        return crc ^ crcB;
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] result, long[] matrix) {
        for (int n = 0; n < 32; n++) {
            result[n] = times(matrix, matrix[n]);
        }
    }
}
