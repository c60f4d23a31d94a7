using System.Text.Json;
using Tessera.Indexing;

namespace Tessera.Cli;

/// <summary>
/// The last line of defence of every command: an exception a command did not turn into its own
/// message and exit code becomes one line on stderr (<c>tessera: …</c>, no stack trace) and an exit code.
/// </summary>
/// <remarks>
/// Exit codes: 0 success; 1 the operation failed (a typed library error, an I/O error); 2 bad input or
/// arguments (a file that is not what it claims, an argument out of range); 70 an internal error
/// (a bug: the message names the exception type); 130 cancelled.
/// </remarks>
internal static class CliErrors
{
    /// <summary>The operation failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad input or arguments.</summary>
    public const int InputError = 2;

    /// <summary>An unexpected exception (a bug).</summary>
    public const int InternalError = 70;

    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Writes <paramref name="exception"/> as one line to stderr and returns the exit code.</summary>
    /// <param name="exception">What escaped the command.</param>
    /// <returns>The process exit code.</returns>
    public static int Report(Exception exception)
    {
        var (code, message) = Describe(exception);
        Console.Error.WriteLine($"tessera: {message}");
        return code;
    }

    /// <summary>The exit code and one-line message of <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>Code and message.</returns>
    public static (int Code, string Message) Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        var message = OneLine(exception.Message);
        return exception switch
        {
            OperationCanceledException => (Cancelled, "cancelled."),
            TesseraException typed => (Failed, $"{typed.ErrorKind}: {message}"),
            UnauthorizedAccessException => (Failed, $"access denied: {message}"),
            FileNotFoundException or DirectoryNotFoundException => (InputError, message),
            IOException => (Failed, $"I/O error: {message}"),
            JsonException or InvalidDataException or FormatException or ArgumentException => (InputError, message),
            OutOfMemoryException => (Failed, "out of memory: lower the sizes asked for (batch, limit, index) or raise the memory available."),
            _ => (InternalError, $"internal error ({exception.GetType().Name}): {message}"),
        };
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length == 0 ? "(no message)" : line;
    }
}
