using Microsoft.Extensions.Logging;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>Collects the problems and warnings of one alignment check: at most <see cref="MaxReportedPerKind"/> of one kind per type, then a count.</summary>
internal sealed class AlignmentProblems(ILogger logger)
{
    public const int MaxReportedPerKind = 20;

    private readonly Dictionary<(AlignmentProblemKind Kind, string? Type), int> _counts = [];
    private readonly List<AlignmentProblem> _problems = [];

    public List<string> Warnings { get; } = [];

    public void Add(AlignmentProblemKind kind, string? type, string? name, string message)
    {
        var key = (kind, type);
        var count = _counts[key] = _counts.GetValueOrDefault(key) + 1;
        if (count <= MaxReportedPerKind)
        {
            _problems.Add(new AlignmentProblem(kind, type, name, message));
            logger.LogError("{Kind} ({Type}): {Message}", kind, type, message);
        }
    }

    public void Warn(string message) => Warnings.Add(message);

    /// <summary>The problems, with one summary line per kind that had more than could be listed.</summary>
    public IReadOnlyList<AlignmentProblem> ToList()
    {
        var result = new List<AlignmentProblem>(_problems);
        foreach (var ((kind, type), count) in _counts)
        {
            if (count > MaxReportedPerKind)
            {
                result.Add(new AlignmentProblem(kind, type, null, $"... and {count - MaxReportedPerKind} more {kind} problems."));
            }
        }

        return result;
    }
}
