namespace MixMate.Dsp.Dynamics;

/// <summary>Level measure feeding a compressor's gain computer. Values are stable; append only.</summary>
public enum CompressorDetector
{
    /// <summary>Instantaneous |x| of the loudest channel: tighter control of transients.</summary>
    Peak = 0,

    /// <summary>Mean square of the loudest channel over a short window: follows perceived level,
    /// the gentler choice for bus glue.</summary>
    Rms = 1,
}
