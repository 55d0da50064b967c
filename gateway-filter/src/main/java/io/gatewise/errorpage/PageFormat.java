package io.gatewise.errorpage;

/** The formats an error page is rendered in. */
public enum PageFormat {
    /** A self-contained page for browsers. */
    HTML("text/html;charset=utf-8", "html"),
    /** RFC 9457 problem details for programs. */
    PROBLEM_JSON("application/problem+json", "json"),
    /** A few readable lines for curl and scripts. */
    TEXT("text/plain;charset=utf-8", "txt");

    private final String contentType;
    private final String extension;

    PageFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    /** @return the {@code Content-Type} to send */
    public String contentType() {
        return contentType;
    }

    /** @return the file extension of its templates */
    public String extension() {
        return extension;
    }
}
