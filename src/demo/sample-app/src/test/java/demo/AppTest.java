package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Stands in for a real test suite: 3.5 minutes in the story, 3.5 seconds in the demo. */
class AppTest {
    @Test
    void greets() throws InterruptedException {
        System.out.println("DEMO: tests start");
        Thread.sleep(3500);
        assertEquals("hello from the demo app", App.greeting());
        System.out.println("DEMO: tests end");
    }
}
