package dist;

public class Dist {
    public static String greeting() {
        return "hello from dist";
    }
}
