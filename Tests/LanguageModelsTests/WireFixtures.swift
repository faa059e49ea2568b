import LanguageModels

/// Response bodies in the providers' real wire formats, shaped like captured responses (ids, extra
/// fields and all) so the decoders meet what the APIs actually send.
enum AnthropicFixtures {
    static func message(
        _ text: String,
        model: String = "claude-sonnet-4-6",
        inputTokens: Int = 120,
        outputTokens: Int = 40,
        stopReason: String = "end_turn"
    ) -> String {
        """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"\(model)",\
        "content":[{"type":"text","text":\(JSONValue.string(text).jsonText)}],\
        "stop_reason":"\(stopReason)","stop_sequence":null,\
        "usage":{"input_tokens":\(inputTokens),"cache_creation_input_tokens":0,"cache_read_input_tokens":0,\
        "output_tokens":\(outputTokens),"service_tier":"standard"}}
        """
    }

    static func error(type: String, message: String) -> String {
        """
        {"type":"error","error":{"type":"\(type)","message":\(JSONValue.string(message).jsonText)},\
        "request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}
        """
    }

    static func reply(_ text: String, inputTokens: Int = 120, outputTokens: Int = 40) -> ScriptedReply {
        ScriptedReply(body: message(text, inputTokens: inputTokens, outputTokens: outputTokens))
    }

    static func failure(_ status: Int, type: String, message: String, headers: [String: String] = [:]) -> ScriptedReply {
        ScriptedReply(status: status, headers: headers, body: error(type: type, message: message))
    }
}

enum OpenAIFixtures {
    static func completion(
        _ text: String?,
        model: String = "gpt-4.1-mini-2025-04-14",
        promptTokens: Int = 19,
        completionTokens: Int = 10,
        finishReason: String = "stop"
    ) -> String {
        let content = text.map { JSONValue.string($0).jsonText } ?? "null"
        return """
            {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,\
            "model":"\(model)","choices":[{"index":0,"message":{"role":"assistant","content":\(content),\
            "refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"\(finishReason)"}],\
            "usage":{"prompt_tokens":\(promptTokens),"completion_tokens":\(completionTokens),\
            "total_tokens":\(promptTokens + completionTokens),\
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},\
            "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,\
            "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},\
            "service_tier":"default","system_fingerprint":"fp_50cad350e4"}
            """
    }

    /// Ollama's `/v1/chat/completions` answer: no `usage` details beyond the counts, a local model name.
    static func ollamaCompletion(_ text: String) -> String {
        """
        {"id":"chatcmpl-631","object":"chat.completion","created":1742000000,"model":"llama3.2",\
        "system_fingerprint":"fp_ollama","choices":[{"index":0,"message":{"role":"assistant",\
        "content":\(JSONValue.string(text).jsonText)},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":26,"completion_tokens":7,"total_tokens":33}}
        """
    }

    static func error(message: String, type: String, code: String?) -> String {
        let codeText = code.map { "\"\($0)\"" } ?? "null"
        return """
            {"error":{"message":\(JSONValue.string(message).jsonText),"type":"\(type)","param":null,"code":\(codeText)}}
            """
    }

    static func reply(_ text: String, promptTokens: Int = 19, completionTokens: Int = 10) -> ScriptedReply {
        ScriptedReply(body: completion(text, promptTokens: promptTokens, completionTokens: completionTokens))
    }

    static func failure(_ status: Int, message: String, type: String, code: String? = nil, headers: [String: String] = [:]) -> ScriptedReply {
        ScriptedReply(status: status, headers: headers, body: error(message: message, type: type, code: code))
    }
}
