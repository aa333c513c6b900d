package web;

public class Web {
    public static String greeting() {
        return "hello from web";
    }
}
