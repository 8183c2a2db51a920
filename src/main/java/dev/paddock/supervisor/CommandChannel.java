package dev.paddock.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Paddock writes to a server started as a router's child: the one command it has, {@code exit}. A child that
 * has loaded reads its input for that line and, after a SIGTERM too, does not exit until it reads it (or its input
 * ends): so every stop writes it first.
 */
interface CommandChannel {
    Logger log = LoggerFactory.getLogger(CommandChannel.class);
    byte[] EXIT = "cmd_router_to_child:exit\n".getBytes(StandardCharsets.US_ASCII);

    /** Asks the server to exit gracefully; never blocks, never throws. */
    void exit();

    CommandChannel NONE = () -> {};

    static CommandChannel of(Supervisor.RouterInput input, Process process) {
        if (input instanceof Supervisor.RouterInput.Fifo f) {
            closeQuietly(process.getOutputStream()); // the shell gave the server the FIFO instead
            return fifo(f.path());
        }
        if (input instanceof Supervisor.RouterInput.Pipe) return pipe(process.getOutputStream());
        return NONE;
    }

    /**
     * Writes to the FIFO the server reads. Opened for reading and writing, a FIFO never blocks the opener; what is
     * written stays in it while the server holds it open, and is gone once nobody does.
     */
    static CommandChannel fifo(Path fifo) {
        return () -> {
            try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(EXIT));
            } catch (IOException e) {
                log.debug("cannot write the exit command to {}: {}", fifo, e.getMessage());
            }
        };
    }

    static CommandChannel pipe(OutputStream stdin) {
        return () -> {
            try {
                stdin.write(EXIT);
                stdin.flush();
            } catch (IOException e) {
                log.debug("cannot write the exit command to the server's input: {}", e.getMessage());
            }
        };
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // nothing was written to it
        }
    }
}
