package demo;

public class App {
    public static String greeting() {
        return "hello from admin";
    }
}
