package e2e;

public class E2E {
    public static String greeting() {
        return "hello from e2e";
    }
}
