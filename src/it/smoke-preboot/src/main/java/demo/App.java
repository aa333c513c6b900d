package demo;

public class App {
    public static String greeting() {
        return "hello from the sample app";
    }
}
