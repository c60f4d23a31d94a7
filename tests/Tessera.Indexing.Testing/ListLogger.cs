using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tessera.Indexing.Testing;

/// <summary>An <see cref="ILogger"/> that keeps every formatted message, with its level (safe from several threads).</summary>
public class ListLogger : ILogger
{
    /// <summary>What was logged, in order.</summary>
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>A <see cref="ListLogger"/> for the category <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The category.</typeparam>
public sealed class ListLogger<T> : ListLogger, ILogger<T>;
