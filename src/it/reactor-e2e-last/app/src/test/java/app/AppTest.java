package app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AppTest {
    @Test
    void greets() throws InterruptedException {
        System.out.println("RUNNING TESTS OF app");
        Thread.sleep(1500);
        assertEquals("hello from app", App.greeting());
    }
}
