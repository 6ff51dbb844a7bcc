namespace CustomerGrains.Grains.Hosting;

public enum HostingMode
{
    Embedded = 0,
    Client = 1,
}
