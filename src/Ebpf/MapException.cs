namespace Ebpf;

/// <summary>A map operation the map refused, with the kernel's reason (<see cref="Result"/>).</summary>
public class MapException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public MapException(string message, MapResult result) : base(message) => Result = result;

    /// <summary>Creates the exception.</summary>
    public MapException() : this("map operation refused", MapResult.Invalid) { }

    /// <summary>Creates the exception.</summary>
    public MapException(string message) : this(message, MapResult.Invalid) { }

    /// <summary>Creates the exception.</summary>
    public MapException(string message, Exception innerException) : base(message, innerException) => Result = MapResult.Invalid;

    /// <summary>Why the map refused, as the kernel's errno.</summary>
    public MapResult Result { get; }
}
