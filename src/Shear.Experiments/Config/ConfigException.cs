namespace Shear.Experiments.Config;

/// <summary>A config file is wrong; the message starts with <c>file:line:column</c> and names the key.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public ConfigException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with no message.</summary>
    public ConfigException() { }
}
