package io.gatewise.testing;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.SQLTransientConnectionException;

/**
 * A servlet of the gateway's own web application that fails the way a connection pool does when
 * every connection is taken.
 */
public final class ExhaustedPoolServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException {
        throw new ServletException(new SQLTransientConnectionException(
                "pool - Connection is not available, request timed out after 30000ms."));
    }
}
