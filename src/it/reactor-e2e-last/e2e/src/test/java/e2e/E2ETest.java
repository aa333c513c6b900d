package e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class E2ETest {
    @Test
    void greets() throws InterruptedException {
        System.out.println("RUNNING TESTS OF e2e");
        Thread.sleep(1500);
        assertEquals("hello from e2e", E2E.greeting());
    }
}
