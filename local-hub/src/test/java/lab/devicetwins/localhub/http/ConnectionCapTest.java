package lab.devicetwins.localhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A port at its cap refuses new connections until one ends, and says so once per burst, not per connection. */
class ConnectionCapTest {
    private final Logger logger = Logger.getLogger(ConnectionCap.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
    }

    private List<Level> levels() {
        return records.stream().map(LogRecord::getLevel).toList();
    }

    @Test
    void connections_up_to_the_cap_are_let_in_and_the_next_is_refused() {
        ConnectionCap cap = new ConnectionCap("HTTPS", 3);

        assertThat(List.of(cap.tryOpen(), cap.tryOpen(), cap.tryOpen(), cap.tryOpen()))
                .containsExactly(true, true, true, false);
    }

    @Test
    void a_connection_that_ends_makes_room_for_one_more() {
        ConnectionCap cap = new ConnectionCap("HTTPS", 2);
        cap.tryOpen();
        cap.tryOpen();

        cap.closed();

        assertThat(List.of(cap.tryOpen(), cap.tryOpen())).containsExactly(true, false);
    }

    @Test
    void a_burst_of_refusals_logs_one_warning_and_one_line_when_the_port_accepts_again() {
        ConnectionCap cap = new ConnectionCap("HTTPS", 1);
        cap.tryOpen();

        for (int i = 0; i < 50; i++) {
            cap.tryOpen();
        }
        cap.closed();

        assertThat(levels()).containsExactly(Level.WARNING, Level.INFO);
        assertThat(records.get(0).getMessage()).contains("HTTPS", "limit of 1");
        assertThat(records.get(1).getMessage()).contains("closed 50");
    }

    @Test
    void the_next_burst_logs_again() {
        ConnectionCap cap = new ConnectionCap("CONNECT proxy", 1);
        cap.tryOpen();
        cap.tryOpen();
        cap.closed();
        cap.tryOpen();

        cap.tryOpen();
        cap.tryOpen();

        assertThat(levels()).containsExactly(Level.WARNING, Level.INFO, Level.WARNING);
    }

    @Test
    void connections_ending_without_a_refusal_log_nothing() {
        ConnectionCap cap = new ConnectionCap("HTTPS", 2);
        cap.tryOpen();
        cap.tryOpen();

        cap.closed();
        cap.closed();

        assertThat(records).isEmpty();
    }
}
