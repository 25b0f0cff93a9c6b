// Replicates N documents the size of a capture (~640 bytes) from a local PouchDB (leveldb)
// to an express-pouchdb server on loopback and prints {"ms": ..., "docs": N} as JSON.
const fs = require('fs');
const os = require('os');
const path = require('path');
const PouchDB = require('pouchdb');
const express = require('express');

const docs = Number(process.argv[2] || 10000);
const batch = Number(process.argv[3] || 100);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'booth-pouch-'));
fs.mkdirSync(path.join(dir, 'server'));
const ServerPouch = PouchDB.defaults({ prefix: path.join(dir, 'server') + path.sep });
const app = express();
app.use('/', require('express-pouchdb')(ServerPouch, { mode: 'minimumForPouchDB', logPath: path.join(dir, 'log.txt') }));

const server = app.listen(0, '127.0.0.1', async () => {
  try {
    const port = server.address().port;
    const local = new PouchDB(path.join(dir, 'local'));
    const list = [];
    for (let i = 0; i < docs; i++) {
      list.push({
        _id: `capture-${String(i).padStart(8, '0')}`,
        lead_id: `lead-${i}`, event_id: 'event-1', source: 'booth_card', staff: 'bench',
        at: '2026-11-25T10:00:00+09:00', notice_id: '01a22400-0000-7000-8000-000000000001',
        notice_hash: 'aec16e9fa78db7982c16e7a6f71769dcddb799785390dc89226e5f7a62143c5b', notice_shown: 'screen',
        consents: [{ kind: 'purpose', method: 'checkbox' }],
        person: { name: `来場者 ${i}`, kana: 'らいじょうしゃ', company: `株式会社サンプル${i % 5000}`, department: '営業部', title: '課長',
          email: `visitor${i}@example.co.jp`, phone: '03-0000-0000', mobile: '090-0000-0000' },
      });
    }
    for (let i = 0; i < list.length; i += 1000) await local.bulkDocs(list.slice(i, i + 1000));
    const t0 = process.hrtime.bigint();
    await local.replicate.to(`http://127.0.0.1:${port}/leads`, { batch_size: batch });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(JSON.stringify({ ms, docs, batch }));
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
});
