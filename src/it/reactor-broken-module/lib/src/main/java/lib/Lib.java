package lib;

public class Lib {
    public static String greeting() {
        return 42; // does not compile: the method returns a String
    }
}
