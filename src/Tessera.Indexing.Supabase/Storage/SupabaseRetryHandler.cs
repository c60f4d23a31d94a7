using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// Retries transient failures with exponential backoff and jitter (Polly): HTTP 429, 408, 423, 5xx, 544,
/// a 400 whose Supabase body carries one of those, dropped connections (also mid-body: responses are
/// buffered inside the retried attempt) and attempts that outlive <see cref="SupabaseRetryOptions.AttemptTimeout"/>.
/// Caller errors (other 4xx) pass through at once. Request bodies must be re-sendable (byte-array content).
/// </summary>
internal sealed partial class SupabaseRetryHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _retrying;
    private readonly ResiliencePipeline<HttpResponseMessage> _once;
    private readonly ILogger _logger;
    private readonly string? _key;

    /// <param name="options">Retry settings.</param>
    /// <param name="logger">Logs each retry.</param>
    /// <param name="key">The API key, redacted from what the retry warnings print (a key pasted into a store path shows in request paths).</param>
    public SupabaseRetryHandler(SupabaseRetryOptions options, ILogger? logger = null, string? key = null)
    {
        _key = key;
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? NullLogger.Instance;

        var timeout = new TimeoutStrategyOptions { Timeout = options.AttemptTimeout };
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = static args => ShouldRetryAsync(args.Outcome, args.Context.CancellationToken),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, options.MaxDelay)),
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    LogRetry(
                        _logger,
                        request?.Method.Method ?? "?",
                        SupabaseKey.Redact(request?.RequestUri?.AbsolutePath ?? "?", _key),
                        args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?",
                        args.AttemptNumber + 1,
                        args.RetryDelay);
                    return default;
                },
            });
        }

        _retrying = builder.AddTimeout(timeout).Build();
        _once = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(timeout).Build();
    }

    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("tessera.request");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = request.Options.TryGetValue(SupabaseRequestOptions.NoRetry, out var noRetry) && noRetry ? _once : _retrying;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        var attempt = 0;
        try
        {
            return await pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    attempt++;
                    state.Request.Options.Set(SupabaseRequestOptions.Attempt, attempt);
                    var response = await state.Handler.SendCoreAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false);
                    try
                    {
                        // Read the body inside the attempt, so a connection dropped mid-body is retried too.
                        await response.Content.LoadIntoBufferAsync(ctx.CancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }

                    return response;
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
        {
            return SupabaseTransientFailures.IsTransientException(exception, cancellationToken);
        }

        return outcome.Result is { } response
            && await SupabaseTransientFailures.IsTransientResponseAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan maxDelay)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter is null)
        {
            return null;
        }

        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is null)
        {
            return null;
        }

        return delay.Value < TimeSpan.Zero ? TimeSpan.Zero : delay.Value > maxDelay ? maxDelay : delay.Value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Supabase {Method} {Path} failed transiently ({Failure}); attempt {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string method, string path, string failure, int attempt, TimeSpan delay);
}
