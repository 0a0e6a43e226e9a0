"""The handbook's instruments: trajectory phases (spiral), vignet, trajectovereenkomst."""
