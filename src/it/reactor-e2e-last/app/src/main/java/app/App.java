package app;

public class App {
    public static String greeting() {
        return "hello from app";
    }
}
