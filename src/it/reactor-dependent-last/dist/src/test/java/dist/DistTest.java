package dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DistTest {
    @Test
    void greets() throws InterruptedException {
        System.out.println("RUNNING TESTS OF dist");
        Thread.sleep(1500);
        assertEquals("hello from dist", Dist.greeting());
    }
}
