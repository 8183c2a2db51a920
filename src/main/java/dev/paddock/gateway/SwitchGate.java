package dev.paddock.gateway;

import dev.paddock.core.PaddockException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Requests run side by side; a switch runs alone. A request that needs a switch waits until the requests in
 * flight have finished, switches, and runs; requests that arrive while a switch waits or runs queue behind it, in
 * order (a fair lock), and at most {@code bound} may wait at once: beyond that, {@link Full}.
 */
final class SwitchGate {
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private final int bound;
    private int inFlight;
    private int waiting;
    private boolean switching;

    SwitchGate(int bound) {
        this.bound = bound;
    }

    /** Requests waiting behind a switch now. */
    int queued() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Requests being served now. */
    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** The queue is full. */
    static final class Full extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** A request being served; closing it lets a waiting switch go. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    interface Switch {
        void run() throws PaddockException;
    }

    /**
     * Admits a request: first runs {@code doSwitch} (alone, once no request is in flight) when {@code needsSwitch}
     * says so, re-checked once the gate is free, since an earlier switch may have done it already.
     */
    Pass enter(BooleanSupplier needsSwitch, Switch doSwitch) throws Full, PaddockException, InterruptedException {
        lock.lock();
        try {
            if (switching || waiting > 0) {
                if (waiting >= bound) throw new Full();
            }
            waiting++;
            try {
                while (switching) changed.await();
                if (needsSwitch.getAsBoolean()) {
                    switching = true;
                    try {
                        while (inFlight > 0) changed.await();
                        lock.unlock();
                        try {
                            doSwitch.run();
                        } finally {
                            lock.lock();
                        }
                    } finally {
                        switching = false;
                        changed.signalAll();
                    }
                }
            } finally {
                waiting--;
            }
            inFlight++;
        } finally {
            lock.unlock();
        }
        return () -> {
            lock.lock();
            try {
                inFlight--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        };
    }
}
