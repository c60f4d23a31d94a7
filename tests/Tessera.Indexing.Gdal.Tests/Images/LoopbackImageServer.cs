using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tessera.Indexing.Gdal.Tests.Images;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (a free port) that serves byte arrays by path, answering HEAD and
/// byte-range GETs as a static file server does (what GDAL's <c>/vsicurl/</c> asks for); anything
/// else is a 404. <see cref="Stall"/> makes a path hang (to test timeouts).
/// </summary>
internal sealed class LoopbackImageServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _stalled = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public LoopbackImageServer()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    public int RequestCount => Volatile.Read(ref _requests);

    public string Add(string name, byte[] content)
    {
        _files["/" + name] = content;
        return BaseUrl + name;
    }

    public string Stall(string name)
    {
        _stalled["/" + name] = true;
        return BaseUrl + name;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        var response = context.Response;
        try
        {
            var path = context.Request.Url!.AbsolutePath;
            if (_stalled.ContainsKey(path))
            {
                await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
            }

            if (!_files.TryGetValue(path, out var content))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }

            response.Headers["Accept-Ranges"] = "bytes";
            var (start, end) = (0L, content.LongLength - 1);
            var range = context.Request.Headers["Range"];
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                var parts = range["bytes=".Length..].Split('-');
                start = long.Parse(parts[0], CultureInfo.InvariantCulture);
                if (parts.Length > 1 && parts[1].Length > 0)
                {
                    end = Math.Min(end, long.Parse(parts[1], CultureInfo.InvariantCulture));
                }

                if (start >= content.LongLength)
                {
                    response.StatusCode = 416;
                    response.Headers["Content-Range"] = $"bytes */{content.LongLength}";
                    response.Close();
                    return;
                }

                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {start}-{end}/{content.LongLength}";
            }

            response.ContentType = "application/octet-stream";
            response.ContentLength64 = end - start + 1;
            if (context.Request.HttpMethod != "HEAD")
            {
                await response.OutputStream.WriteAsync(content.AsMemory((int)start, (int)(end - start + 1))).ConfigureAwait(false);
            }

            response.Close();
        }
        catch (Exception)
        {
            // The client went away or the server is stopping.
            try
            {
                response.Abort();
            }
            catch (Exception)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
