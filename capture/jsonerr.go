package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"unicode/utf8"
)

// errTrailing is decodeStrict's error for text after the JSON value; offset is where it starts.
type errTrailing struct{ offset int64 }

func (e errTrailing) Error() string { return "trailing data after the JSON value" }

// unknownField is what encoding/json says of a key the type does not have.
var unknownField = regexp.MustCompile(`^json: unknown field "(.*)"$`)

// jsonInvalid turns a decoding error of data into field's message with the line (and
// column) and what is wrong in words, so that someone who wrote the file can find it.
func jsonInvalid(field string, data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var trailing errTrailing
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		line, _ := position(data, int64(len(data)))
		return Invalid(field, "json_end", line)
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the offending character included.
		r, _ := utf8.DecodeLastRune(data[:min(syntax.Offset, int64(len(data)))])
		line, col := position(data, max(syntax.Offset-1, 0))
		return Invalid(field, "json_char", line, col, string(r))
	case errors.As(err, &typ):
		line, _ := position(data, typ.Offset)
		return Invalid(field, "json_type", line, typ.Field, jsonShape(typ.Type), jsonShapeOf(typ.Value))
	case errors.As(err, &trailing):
		line, _ := position(data, trailing.offset)
		return Invalid(field, "json_trailing", line)
	}
	if m := unknownField.FindStringSubmatch(err.Error()); m != nil {
		// encoding/json gives no offset for it: the key's first appearance is where it is.
		at := bytes.Index(data, []byte(`"`+m[1]+`"`))
		line, _ := position(data, int64(max(at, 0)))
		return Invalid(field, "json_unknown_field", line, m[1])
	}
	return Invalid(field, "json_syntax", err.Error())
}

// position is the line and column (both from 1, the column in characters) of byte offset.
func position(data []byte, offset int64) (line, col int) {
	before := data[:min(offset, int64(len(data)))]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

// jsonShape is how a value of type t is written in JSON, as a hint both languages read.
func jsonShape(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return `"…"`
	case reflect.Slice, reflect.Array:
		return "[…]"
	case reflect.Struct, reflect.Map:
		return "{…}"
	case reflect.Bool:
		return "true / false"
	case reflect.Pointer:
		return jsonShape(t.Elem())
	}
	return "123"
}

// jsonShapeOf is jsonShape for the JSON kind encoding/json names in an UnmarshalTypeError.
func jsonShapeOf(value string) string {
	switch value {
	case "string":
		return `"…"`
	case "array":
		return "[…]"
	case "object":
		return "{…}"
	case "bool":
		return "true / false"
	case "null":
		return "null"
	}
	return "123"
}
