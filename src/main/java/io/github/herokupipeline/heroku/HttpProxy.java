package io.github.herokupipeline.heroku;

import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An HTTP proxy as settings.xml declares one: protocol, host, port, optional credentials, and the hosts that
 * bypass it ({@code nonProxyHosts}: {@code |}-separated, {@code *} as a wildcard, case-insensitive, as Maven reads
 * them). Unlike the JDK's default proxy selector, loopback addresses are not exempt.
 *
 * @param protocol the scheme it serves: {@code http} or {@code https}
 */
public record HttpProxy(String protocol, String host, int port, String username, String password,
        String nonProxyHosts) {

    /** The proxy for {@code uri} among {@code proxies}: one of its protocol, else an {@code http} one; or none. */
    public static Optional<HttpProxy> forUri(List<HttpProxy> proxies, URI uri) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
        Optional<HttpProxy> chosen = proxies.stream().filter(p -> scheme.equalsIgnoreCase(p.protocol())).findFirst()
                .or(() -> proxies.stream().filter(p -> "http".equalsIgnoreCase(p.protocol())).findFirst());
        return chosen.filter(proxy -> !proxy.bypasses(uri.getHost()));
    }

    /** True when {@code nonProxyHosts} names {@code target}. */
    public boolean bypasses(String target) {
        if (nonProxyHosts == null || nonProxyHosts.isBlank() || target == null) {
            return false;
        }
        for (String pattern : nonProxyHosts.split("[|,]")) {
            String glob = pattern.strip();
            if (glob.isEmpty()) {
                continue;
            }
            String regex = Pattern.quote(glob.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
            if (target.toLowerCase(Locale.ROOT).matches(regex)) {
                return true;
            }
        }
        return false;
    }

    public Proxy proxy() {
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }

    /** Answers the proxy's authentication challenges, and only those; null without credentials. */
    public Authenticator authenticator() {
        if (username == null || username.isBlank()) {
            return null;
        }
        String user = username;
        char[] secret = password == null ? new char[0] : password.toCharArray();
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY ? new PasswordAuthentication(user, secret.clone())
                        : null;
            }
        };
    }

    /** The {@code Proxy-Authorization} value for Basic authentication, when there are credentials. */
    public Optional<String> basicCredentials() {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        String pair = username + ":" + (password == null ? "" : password);
        return Optional.of("Basic " + java.util.Base64.getEncoder().encodeToString(
                pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return protocol + " proxy " + host + ":" + port + (username == null ? "" : " (user " + username + ")")
                + (nonProxyHosts == null || nonProxyHosts.isBlank() ? "" : ", not for " + nonProxyHosts);
    }
}
