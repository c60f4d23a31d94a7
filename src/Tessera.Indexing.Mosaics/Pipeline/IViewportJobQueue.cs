namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>The bounded queue of viewport jobs the processing service works through.</summary>
public interface IViewportJobQueue
{
    /// <summary>Queues a job unless the queue is full or the viewport already has a job queued or running.</summary>
    /// <param name="job">The job.</param>
    /// <returns>Whether the job was queued.</returns>
    bool TryEnqueue(ViewportJob job);

    /// <summary>Cancels the queued or running job of a viewport.</summary>
    /// <param name="viewportId">The viewport.</param>
    /// <returns>Whether a job was found to cancel.</returns>
    bool TryCancel(string viewportId);

    /// <summary>Whether a job of the viewport is queued or running.</summary>
    /// <param name="viewportId">The viewport.</param>
    /// <returns>Whether one is active.</returns>
    bool IsActive(string viewportId);
}
