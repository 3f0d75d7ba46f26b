// Electron is mocked here (its binary cannot be downloaded on our machines): only the shape of
// WebContents and IpcMainEvent that the transport reads.
import { EventEmitter } from 'node:events';
import type { IpcMainEvent, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../app/protocol/messages';
import { ipcTransport, RPC_CHANNEL } from './ipc-transport';

function fakeWindow() {
  const sent: unknown[][] = [];
  const mainFrame = { url: 'app://vajra/index.html' };
  const contents = Object.assign(new EventEmitter(), { mainFrame, isDestroyed: () => false, send: (...args: unknown[]) => sent.push(args) });
  return { contents: contents as unknown as WebContents, mainFrame, sent };
}

function harness() {
  let handler: ((event: IpcMainEvent, message: unknown) => void) | undefined;
  const window = fakeWindow();
  const transport = ipcTransport(window.contents, (h) => ((handler = h), () => (handler = undefined)));
  const received: Message[] = [];
  transport.onMessage((m) => received.push(m));
  const deliver = (sender: WebContents, frame: { url: string } | null, message: unknown) => handler?.({ sender, senderFrame: frame } as unknown as IpcMainEvent, message);
  return { window, transport, received, deliver, isSubscribed: () => handler !== undefined };
}

const call: Message = { t: 'call', id: 1, method: 'app.info', params: {} };

describe('ipcTransport(contents, subscribe)', () => {
  it('accepts RPC messages only from its window\'s top frame at app://vajra', () => {
    const h = harness();
    h.deliver(h.window.contents, h.window.mainFrame, call);
    h.deliver(fakeWindow().contents, { url: 'app://vajra/index.html' }, call);
    h.deliver(h.window.contents, { url: 'app://vajra/index.html' }, call);
    h.deliver(h.window.contents, null, call);
    h.window.mainFrame.url = 'https://evil.example/';
    h.deliver(h.window.contents, h.window.mainFrame, call);
    expect(h.received).toEqual([call]);
  });

  it('drops messages that are not RPC messages', () => {
    const h = harness();
    h.deliver(h.window.contents, h.window.mainFrame, { t: 'call', id: 'x', method: 1 });
    h.deliver(h.window.contents, h.window.mainFrame, 'hello');
    expect(h.received).toEqual([]);
  });

  it('sends on the RPC channel and unsubscribes when the window is destroyed', () => {
    const h = harness();
    h.transport.send({ t: 'ok', id: 1, result: {} });
    expect(h.window.sent).toEqual([[RPC_CHANNEL, { t: 'ok', id: 1, result: {} }]]);
    let closed = false;
    h.transport.onClose(() => (closed = true));
    (h.window.contents as unknown as EventEmitter).emit('destroyed');
    expect(closed).toBe(true);
    expect(h.isSubscribed()).toBe(false);
  });
});
