package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AppTest {
    @Test
    void greets() throws InterruptedException {
        System.out.println("RUNNING TESTS OF lib");
        Thread.sleep(300);
        assertEquals("hello from lib", App.greeting());
    }
}
