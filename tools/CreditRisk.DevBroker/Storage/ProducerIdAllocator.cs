using System.Globalization;

namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// Hands out producer ids for InitProducerId. Ids are reserved in blocks whose end is persisted before any
/// id of the block is used, so a restart never hands out an id a live producer still holds.
/// </summary>
internal sealed class ProducerIdAllocator
{
    private const long BlockSize = 1000;

    private readonly Lock _gate = new();
    private readonly string _path;
    private long _next;
    private long _blockEnd;

    public ProducerIdAllocator(string dataDirectory)
    {
        _path = Path.Combine(dataDirectory, "producer-ids");
        _blockEnd = File.Exists(_path) && long.TryParse(File.ReadAllText(_path), NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? end : 0;
        _next = _blockEnd;
    }

    public long Allocate()
    {
        lock (_gate)
        {
            if (_next >= _blockEnd)
            {
                _blockEnd = _next + BlockSize;
                File.WriteAllText(_path + ".tmp", _blockEnd.ToString(CultureInfo.InvariantCulture));
                File.Move(_path + ".tmp", _path, overwrite: true);
            }
            return _next++;
        }
    }
}
