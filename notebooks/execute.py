#!/usr/bin/env python3
"""Runs notebooks headlessly with nbclient (Debian: python3-nbclient) and writes them with their outputs.

    execute.py --kernel kindling-kotlin [--timeout 600] IN.ipynb OUT.ipynb [IN2.ipynb OUT2.ipynb ...]

Exits 1 naming the notebook and the cell when a cell fails. The Kotlin kernel 0.11 sends update_display_data
(fit's live progress) without a parent header; nbclient drops such messages because it files outputs by parent,
so this client files them under the running cell, as JupyterLab does by display id.
"""
import argparse
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async


class Client(NotebookClient):
    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            parent = (msg.get('parent_header') or {}).get('msg_id')
            orphan_update = not parent and msg['header']['msg_type'] == 'update_display_data'
            if parent == parent_msg_id or orphan_update:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    return


def run(path_in, path_out, kernel, timeout):
    nb = nbformat.read(path_in, as_version=4)
    kernelspec = nb.metadata.get('kernelspec')
    client = Client(nb, kernel_name=kernel, timeout=timeout, record_timing=False,
                    resources={'metadata': {'path': os.path.dirname(os.path.abspath(path_in))}})
    try:
        client.execute()
    except CellExecutionError as e:
        print(f'{path_in}: a cell failed\n{e}', file=sys.stderr)
        return False
    finally:
        if kernelspec is not None:  # keep the kernel the notebook names for its readers, not the CI one
            nb.metadata['kernelspec'] = kernelspec
    nbformat.write(nb, path_out)
    return True


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--kernel', required=True)
    p.add_argument('--timeout', type=int, default=600)
    p.add_argument('paths', nargs='+')
    a = p.parse_args()
    if len(a.paths) % 2:
        p.error('give IN OUT pairs')
    ok = all([run(a.paths[i], a.paths[i + 1], a.kernel, a.timeout) for i in range(0, len(a.paths), 2)])
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
