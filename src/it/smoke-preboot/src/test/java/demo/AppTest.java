package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AppTest {
    @Test
    void greets() throws InterruptedException {
        System.out.println("RUNNING TESTS OF smoke-preboot");
        Thread.sleep(500);
        assertEquals("hello from the sample app", App.greeting());
    }
}
