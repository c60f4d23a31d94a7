using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Server.Tests;

/// <summary>The app on a real socket, 127.0.0.1 and a free port, for the browser.</summary>
public sealed class KestrelServerFixture : ServerFixture
{
    public KestrelServerFixture()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public string BaseUrl { get; }
}
