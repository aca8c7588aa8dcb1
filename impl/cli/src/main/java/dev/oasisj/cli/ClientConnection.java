package dev.oasisj.cli;

import dev.oasisj.node.PeerAddress;
import dev.oasisj.node.ShellLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One request line to a node's client port and its one-line JSON answer, with connect and read timeouts and a bound
 * on the answer's length (a node is not trusted to end its line). Answers are read with {@code ClientJson}.
 */
final class ClientConnection {
    static final int TIMEOUT_MILLIS = 10_000;

    private ClientConnection() {}

    static String request(PeerAddress node, String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node.host(), node.port()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readLine(socket.getInputStream(), ShellLimits.MAX_CLIENT_ANSWER_BYTES, node.toString());
        }
    }

    /** One line of at most {@code maxBytes} (without "\n" or "\r\n"), read byte by byte from a buffered stream. */
    static String readLine(InputStream in, int maxBytes, String from) throws IOException {
        InputStream buffered = in.markSupported() ? in : new java.io.BufferedInputStream(in, 8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = buffered.read();
            if (b < 0) {
                throw new IOException(from + " closed the connection without answering");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() > maxBytes) {
                throw new IOException(from + " answered a line longer than " + maxBytes + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (length > maxBytes) {
            throw new IOException(from + " answered a line longer than " + maxBytes + " bytes");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
