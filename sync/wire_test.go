package sync

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
)

// FuzzDecodePush feeds arbitrary bodies to the push decoder: it must never panic, and
// whatever it accepts must hold only well-formed ops of known kinds.
func FuzzDecodePush(f *testing.F) {
	dev := "01a22400-0000-7000-8000-000000000001"
	c := capture.Capture{ID: "01a22400-0000-7000-8000-000000000002", LeadID: "L", EventID: "E", Source: capture.SourceBoothCard,
		At: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), Person: capture.Person{Name: "山田 太郎", Email: "taro@example.jp"}}
	op, _ := capture.NewOp(dev, 1<<16, capture.OpCaptureAdd, c.ID, c)
	op.ID = "01a22400-0000-7000-8000-000000000003"
	good, _ := json.Marshal(PushRequest{Version: Version, Device: dev, Ops: []SeqOp{{Seq: 1, Op: op}}})
	f.Add(good)
	f.Add([]byte(`{"v":1,"device_id":"` + dev + `","ops":[]}`))
	f.Add([]byte(`{"v":1,"device_id":"x","ops":[{"seq":1}]}`))
	f.Add([]byte(`{"v":1,"device_id":"` + dev + `","ops":[{"seq":1,"op_id":"01a22400-0000-7000-8000-000000000003","device_id":"` + dev + `","hlc":1,"kind":"lead.erase","entity_id":"L","payload":{"reason":"x"}}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"v":1,"ops":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodePush(body)
		if err != nil {
			return
		}
		if len(req.Ops) > MaxOps {
			t.Fatalf("accepted %d ops", len(req.Ops))
		}
		for _, o := range req.Ops {
			if _, ok := capture.Spec(o.Kind); !ok || !capture.IsUUID(o.ID) || o.Device != req.Device {
				t.Fatalf("accepted a bad op %+v", o.Op)
			}
		}
	})
}
