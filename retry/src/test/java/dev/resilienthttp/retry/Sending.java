package dev.resilienthttp.retry;

import dev.resilienthttp.core.ResilientHttpClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The two ways to make a call; every end-to-end scenario runs through both. */
enum Sending {
    SEND {
        @Override
        <T> HttpResponse<T> call(ResilientHttpClient client, HttpRequest request, BodyHandler<T> handler)
                throws Exception {
            return client.send(request, handler);
        }
    },
    SEND_ASYNC {
        @Override
        <T> HttpResponse<T> call(ResilientHttpClient client, HttpRequest request, BodyHandler<T> handler)
                throws Exception {
            try {
                return client.sendAsync(request, handler).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
        }
    };

    /** Makes the call and returns its response, or throws what the call failed with (unwrapped for async). */
    abstract <T> HttpResponse<T> call(ResilientHttpClient client, HttpRequest request, BodyHandler<T> handler)
            throws Exception;
}
