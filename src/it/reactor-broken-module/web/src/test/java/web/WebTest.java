package web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WebTest {
    @Test
    void greets() throws InterruptedException {
        System.out.println("RUNNING TESTS OF web");
        Thread.sleep(1500);
        assertEquals("hello from web", Web.greeting());
    }
}
