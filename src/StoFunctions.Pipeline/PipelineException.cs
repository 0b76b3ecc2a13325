namespace StoFunctions.Pipeline;

/// <summary>The pipeline layer's error: what happened, the offending value, and how to fix it.</summary>
public class PipelineException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public PipelineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PipelineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
