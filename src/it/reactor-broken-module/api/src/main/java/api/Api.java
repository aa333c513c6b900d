package api;

public class Api {
    public static String greeting() {
        return "hello from api";
    }
}
