package dev.paddock.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.SocketFactory;

/**
 * Unconnected sockets backed by a blocking {@link SocketChannel}, for the gateway's client to llama-server. Such a
 * socket's read without a timeout is one {@code read(2)} that waits in the kernel; a plain {@link Socket} keeps its
 * descriptor non-blocking and reads as a try, a {@code poll(2)} and a second try: three system calls for each token
 * the gateway relays. (A read with a timeout, as OkHttp's check of an idle pooled connection, still works: the
 * channel polls for that one read and goes back to blocking.)
 */
final class ChannelSocketFactory extends SocketFactory {
    @Override
    public Socket createSocket() throws IOException {
        return SocketChannel.open().socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new java.net.InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("the gateway's sockets are not bound to a local address");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new java.net.InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException("the gateway's sockets are not bound to a local address");
    }

    private Socket connected(java.net.InetSocketAddress to) throws IOException {
        Socket s = createSocket();
        try {
            s.connect(to);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
