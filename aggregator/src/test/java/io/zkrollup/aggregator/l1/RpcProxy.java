package io.zkrollup.aggregator.l1;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of an RPC endpoint that a test can take down (connections refused,
 * open ones cut) and bring back on the same port: an L1 node that goes away for a while.
 */
final class RpcProxy implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  RpcProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    ServerSocket s = new ServerSocket(0);
    this.port = s.getLocalPort();
    serve(s);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Refuses new connections and cuts the open ones. */
  synchronized void down() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  /** Accepts again, on the same port. */
  synchronized void up() throws IOException {
    if (server == null) {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      serve(s);
    }
  }

  private void serve(ServerSocket s) {
    server = s;
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try {
                  Socket client = s.accept();
                  Socket upstream = new Socket("127.0.0.1", targetPort);
                  if (!track(s, client, upstream)) {
                    return; // down() came between accept and here: this connection must not live
                  }
                  pipe(client, upstream);
                  pipe(upstream, client);
                } catch (IOException e) {
                  return; // closed by down()
                }
              }
            },
            "rpc-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  /** Records a connection for down() to cut; false (and both closed) if the proxy went down meanwhile. */
  private synchronized boolean track(ServerSocket s, Socket client, Socket upstream) throws IOException {
    if (server != s) {
      client.close();
      upstream.close();
      return false;
    }
    open.add(client);
    open.add(upstream);
    return true;
  }

  private static void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // cut
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException e) {
                  // already closed
                }
              }
            },
            "rpc-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    down();
  }
}
