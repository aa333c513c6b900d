package api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ApiTest {
    @Test
    void greets() throws InterruptedException {
        System.out.println("RUNNING TESTS OF api");
        Thread.sleep(1500);
        assertEquals("hello from api", Api.greeting());
    }
}
